/* An executable linked without -q: elfmod_load may only put it at its link address. */
static int counter = 7;
int table[4] = { 1, 2, 3, 4 };
int main(int argc, char **argv)
{
	(void)argv;
	return counter + table[argc] == 7 + 4 ? 0 : 1; /* argc is 3: "x", "one", "two" */
}
