/*
 * bench-bare: the baseline of `make bench`: the least a JSONL checker can
 * do with the design card's JSON library, getline(3) and json_loadb(3) on
 * every line, counting the lines that parse.  Not installed.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

int
main(int argc, char **argv)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long ok = 0, bad = 0;
	json_error_t e;

	if (argc != 2 || (f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: bench-bare FILE\n");
		return 2;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		json_t *j = json_loadb(line, (size_t)n, 0, &e);

		if (j) {
			ok++;
			json_decref(j);
		} else {
			bad++;
		}
	}
	printf("%ld parsed, %ld not\n", ok, bad);
	free(line);
	fclose(f);
	return bad ? 1 : 0;
}
