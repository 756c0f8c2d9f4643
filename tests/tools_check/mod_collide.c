/* Imports coll_FY, which a hashed table holding only coll_Ez would bind to coll_Ez. */
int coll_FY(void);

int calls_fy(void);
int calls_fy(void)
{
	return coll_FY() + 1;
}
