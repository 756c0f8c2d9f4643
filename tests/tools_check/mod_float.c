/* Passes floating-point values to and from the firmware: the float ABI matters. No
 * arithmetic, which would import the toolchain's soft-float helpers. */
double fw_mul(double x);

double scaled(double x);
double scaled(double x)
{
	return fw_mul(x);
}
