/* A symbol whose name neither C nor an assembler's plain syntax can write. */
int odd_value __asm__("\"odd name\"") = 5;
