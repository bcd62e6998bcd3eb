# make run    — install what is missing, then train CRL on point-maze-u (the main job)
# make test   — install what is missing, then run the whole test suite
# make bench  — run the benchmarks (a package of their own in Benchmarks/)
# make deps   — on Debian/Ubuntu, install libdnnl-dev (oneDNN, the matrix products) and libmujoco-dev
#               (MuJoCo 2.2.2) when their headers are missing (neither ships a pkg-config file)

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: deps test run bench

deps:
	@test -f /usr/include/dnnl.h || { \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y libdnnl-dev; }
	@test -f /usr/include/mujoco/mujoco.h || { \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y libmujoco-dev; }

test: deps
	swift test

run: deps
	swift run -c release train

bench: deps
	swift package --package-path Benchmarks benchmark
	swift run -c release --package-path Benchmarks kernel-ratios
