/* Exports a name a loaded module already exports. */
int shared_name(void);
int shared_name(void) { return 1; }
