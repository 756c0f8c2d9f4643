/* Reads imported data PC-relatively, as Debian's default -fPIE code does: the module
 * must be placed within 2 GiB of far_data or refused with a clear error. */
extern int far_data;
int read_far(void);
int read_far(void) { return far_data; }
