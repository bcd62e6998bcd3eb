// Plain C baseline for the ant step rate: the same MJCF, the same Debian MuJoCo 2.2.2, the same
// loop as DeepCRL's Ant (5 physics steps per environment step, uniform random actions from
// SplitMix64, state copied to 29 floats, reset with ±0.1 position noise and 0.1·N(0,1)
// velocities when the torso leaves 0.2…1.0 or after 1000 steps).
//
//   cc -O2 -o /tmp/ant_steps Benchmarks/mujoco/ant_steps.c -lmujoco -lm
//   /tmp/ant_steps Sources/MuJoCoEnvironments/Models/ant.xml 100000
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <mujoco/mujoco.h>

static uint64_t state = 1;
static uint64_t next(void) {
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double uniform(void) { return (double)(next() >> 11) * (1.0 / 9007199254740992.0); }
static double normal(void) {
    double u1 = 1.0 - uniform(), u2 = uniform();
    return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

static void reset(const mjModel* m, mjData* d) {
    mj_resetData(m, d);
    for (int i = 0; i < m->nq; i++) d->qpos[i] += 0.1 * (2 * uniform() - 1);
    double norm = 0;
    for (int i = 3; i < 7; i++) norm += d->qpos[i] * d->qpos[i];
    norm = sqrt(norm);
    for (int i = 3; i < 7; i++) d->qpos[i] /= norm;
    for (int i = 0; i < m->nv; i++) d->qvel[i] = 0.1 * normal();
    mj_forward(m, d);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char** argv) {
    const char* path = argc > 1 ? argv[1] : "Sources/MuJoCoEnvironments/Models/ant.xml";
    long steps = argc > 2 ? atol(argv[2]) : 100000;
    const int frameSkip = 5;
    char error[1024] = "";
    mjModel* m = mj_loadXML(path, NULL, error, sizeof error);
    if (!m) { fprintf(stderr, "MuJoCo: %s\n", error); return 1; }
    mjData* d = mj_makeData(m);
    float observation[29];
    double checksum = 0;
    long resets = 0, episodeStep = 0;
    reset(m, d);
    double start = now();
    for (long step = 0; step < steps; step++) {
        for (int i = 0; i < m->nu; i++) d->ctrl[i] = 2 * uniform() - 1;
        for (int k = 0; k < frameSkip; k++) mj_step(m, d);
        for (int i = 0; i < 15; i++) observation[i] = (float)d->qpos[i];
        for (int i = 0; i < 14; i++) observation[15 + i] = (float)d->qvel[i];
        checksum += observation[0];
        episodeStep++;
        if (d->qpos[2] < 0.2 || d->qpos[2] > 1.0 || episodeStep >= 1000) {
            reset(m, d);
            resets++;
            episodeStep = 0;
        }
    }
    double seconds = now() - start;
    printf("c: %ld steps in %.3f s = %.0f steps/s (MuJoCo %s, frame skip %d, %ld resets, checksum %.3f)\n",
           steps, seconds, steps / seconds, mj_versionString(), frameSkip, resets, checksum);
    mj_deleteData(d);
    mj_deleteModel(m);
    return 0;
}
