/* What tests/tools_exports/fw_syms.c defines. */
#ifndef FW_SYMS_H
#define FW_SYMS_H

extern int fw_counter;
extern const char fw_name[];
int fw_add(int a, int b);
int fw_twice(int x);
extern int (*fw_keep)(int);
int fw_hidden(void);
int fw_weakfn(void);
int coll_Ez(void);
int coll_FY(void);

#endif
