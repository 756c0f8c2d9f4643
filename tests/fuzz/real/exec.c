static volatile int bss_area[64];
int data_word = 5;
void entry(void) { bss_area[1] = data_word; for (;;) ; }
