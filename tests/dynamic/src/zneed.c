/* A shared object that needs libz.so.1 (DT_NEEDED) and is run with --host-symbols
 * and no --dep: the runner opens the library through the host's own dynamic loader. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>
int main(void) {
  static unsigned char in[4096], z[8192], out[4096];
  for (unsigned i = 0; i < sizeof(in); i++) in[i] = (unsigned char)(i * 7 % 13);
  uLongf zl = sizeof(z), ol = sizeof(out);
  if (compress(z, &zl, in, sizeof(in)) != Z_OK || uncompress(out, &ol, z, zl) != Z_OK) return 2;
  printf("zneed: zlib %s, %lu -> %lu bytes, %s\n", zlibVersion(), (unsigned long)sizeof(in), (unsigned long)zl, memcmp(in, out, sizeof(in)) ? "MISMATCH" : "round trip ok");
  return memcmp(in, out, sizeof(in)) != 0;
}
