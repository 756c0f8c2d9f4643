/* Three imports nobody provides: the loader must name every one of them. */
int missing_alpha(void);
int missing_beta(void);
extern int missing_gamma;

int use_them(void);
int use_them(void) { return missing_alpha() + missing_beta() + missing_gamma; }
