/* Imports from dso_base's shared object (DT_NEEDED libdsobase.so): a function, a
 * variable through the GOT, and the exported indirect function. */
int base_value(int v);
int base_pick(void);
extern int base_counter;

int user_value(void);
int user_value(void) { return base_value(1) + base_counter + base_pick(); }
