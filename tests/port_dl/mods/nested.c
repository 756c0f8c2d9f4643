/* Opens another module from its constructor and closes it from its destructor, through
 * the host's elfmod_open/elfmod_close: the layer is re-entered while it holds its lock. */
struct elfmod_module;
struct elfmod_module *elfmod_open(const char *path, unsigned flags);
int elfmod_close(struct elfmod_module *m);
void *elfmod_sym(const struct elfmod_module *m, const char *name);

extern const char *nested_inner_path;   /* from the host */
extern int nested_close_rc;             /* from the host */

static struct elfmod_module *inner;

__attribute__((constructor)) static void open_inner(void)
{
	inner = elfmod_open(nested_inner_path, 0);
}

__attribute__((destructor)) static void close_inner(void)
{
	nested_close_rc = elfmod_close(inner);
}

int nested_value(int x);
int nested_value(int x)
{
	int (*add)(int) = inner ? (int (*)(int))elfmod_sym(inner, "provider_add") : 0;
	return add ? add(x) : -1;
}
