# make run    — install what is missing, then train CRL on point-maze-u (the main job)
# make test   — install what is missing, then run the whole test suite
# make bench  — run the benchmarks (a package of their own in Benchmarks/)
# make deps   — install libopenblas-dev and pkg-config on Debian/Ubuntu if OpenBLAS is not found,
#               and libmujoco-dev (MuJoCo 2.2.2, no pkg-config file) if its header is missing

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: deps test run bench

deps:
	@pkg-config --exists openblas 2>/dev/null || { \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y libopenblas-dev pkg-config; }
	@test -f /usr/include/mujoco/mujoco.h || { \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y libmujoco-dev; }

test: deps
	swift test

run: deps
	swift run -c release train

bench: deps
	swift package --package-path Benchmarks benchmark
	swift run -c release --package-path Benchmarks kernel-ratios
