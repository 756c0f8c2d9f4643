/* A C++ shared object with a static object: its constructor runs at load, and its
 * destructor, registered with __cxa_atexit against the object's own __dso_handle,
 * at unload (not at process exit). */
#include <cstdio>
struct Obj { int v; Obj() : v(42) { std::printf("cxx.so: construct %d\n", v); } ~Obj() { std::printf("cxx.so: destroy %d\n", v); } };
static Obj obj;
extern "C" int main(int, char **) { std::printf("cxx.so: main sees %d\n", obj.v); return obj.v == 42 ? 0 : 1; }
