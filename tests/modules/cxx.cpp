// A C++ module (-fno-exceptions -fno-rtti): a global object constructed at load and
// destroyed at unload (through __cxa_atexit and the module's own __dso_handle), a
// function-local static, virtual calls and operator new/delete.
#include <cstdio>

struct Tracer {
	const char *name;
	explicit Tracer(const char *n) : name(n) { std::printf("cxx: construct %s\n", name); }
	~Tracer() { std::printf("cxx: destroy %s\n", name); }
};

Tracer global_tracer("global");

struct Shape {
	virtual ~Shape() {}
	virtual int area() const = 0;
};
struct Square : Shape {
	int s;
	explicit Square(int v) : s(v) {}
	int area() const override { return s * s; }
};

static int next_id()
{
	static Tracer local("local-static");   // guarded, constructed on first call
	static int id = 0;
	return ++id;
}

extern "C" int main()
{
	Shape *sh = new Square(7);
	int a = sh->area();
	delete sh;
	int x = next_id(), y = next_id();
	std::printf("cxx: area %d ids %d %d\n", a, x, y);
	return a == 49 && y == 2 ? 0 : 1;
}
