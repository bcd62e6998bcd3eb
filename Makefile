# make run    — install what is missing, then train CRL on point-maze-u (the main job)
# make test   — install what is missing, then run the whole test suite
# make bench  — run the benchmarks (a package of their own in Benchmarks/)
# make deps   — on Debian/Ubuntu, install libdnnl-dev (oneDNN, the matrix products), libmujoco-dev
#               (MuJoCo 2.2.2) and Open MPI (libopenmpi-dev, openmpi-bin, pkg-config: the Distributed
#               product and its tests under mpirun) when they are missing

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: deps test run bench

deps:
	@test -f /usr/include/dnnl.h || { \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y libdnnl-dev; }
	@test -f /usr/include/mujoco/mujoco.h || { \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y libmujoco-dev; }
	@{ command -v mpirun && command -v pkg-config && pkg-config --exists ompi-c; } >/dev/null 2>&1 || { \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y libopenmpi-dev openmpi-bin pkg-config; }

test: deps
	swift test

run: deps
	swift run -c release train

bench: deps
	swift package --package-path Benchmarks benchmark
	swift run -c release --package-path Benchmarks kernel-ratios
