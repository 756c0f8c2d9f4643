/* ARM and Thumb code calling each other with branches that cannot change instruction
 * set by themselves (an ARM `b`, a Thumb `b.w`): the loader must route them through a
 * stub even though the targets are near. Built with -ffunction-sections so every
 * branch is a relocation. ARM Linux only (Cortex-M has no ARM state). */
#include <stdio.h>

__attribute__((target("thumb"), noinline)) int in_thumb(int x);
__attribute__((target("arm"), noinline)) int in_arm(int x);
int arm_tail_to_thumb(int x);
int thumb_tail_to_arm(int x);

__attribute__((target("thumb"), noinline)) int in_thumb(int x) { return x + 1; }
__attribute__((target("arm"), noinline)) int in_arm(int x) { return x * 2; }

__attribute__((target("arm"), naked)) int arm_tail_to_thumb(int x)
{
	__asm__("b in_thumb");
}

__attribute__((target("thumb"), naked)) int thumb_tail_to_arm(int x)
{
	__asm__("b.w in_arm");
}

int main(void)
{
	int a = arm_tail_to_thumb(41), b = thumb_tail_to_arm(21);

	printf("interwork: %d %d\n", a, b);
	return a == 42 && b == 42 ? 0 : 1;
}
