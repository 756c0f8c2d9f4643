/* Placement by section name: the firmware's place() gives `.iram*` and `.psram*`
 * sections regions of their own (ELFMOD_PLACE_REGION); the rest goes to the usual
 * text, rodata and data regions. */
__attribute__((section(".iram.text.fast"), noinline)) int fast_twice(int x);
__attribute__((section(".iram.text.fast"), noinline)) int fast_twice(int x) { return 2 * x; }

__attribute__((section(".psram.data"))) static char big[8192] = { 1 };
static int counter = 5;

int placed_entry(int x);
int placed_entry(int x)
{
	big[100]++;
	counter++;
	return fast_twice(x) + counter + big[100] + big[0];
}

const char *placed_big(void);
const char *placed_big(void) { return big; }
