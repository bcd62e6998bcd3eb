// Plain C baseline for the ant step rate: the same MJCF, the same Debian MuJoCo 2.2.2, the same
// loop as DeepCRL's Ant (5 physics steps per environment step, uniform random actions from
// SplitMix64, state copied to 29 floats, reset with ±0.1 position noise and 0.1·N(0,1)
// velocities when the torso leaves 0.2…1.0 or after 1000 steps).
//
// With `copies` and `threads` it steps that many copies (one mjData each, one shared mjModel) on
// that many pthreads, each owning a contiguous slice and all waiting for each other after every
// environment step, as VectorEnvironment does: the engine's own scaling from 1 to 2 threads.
//
//   cc -O2 -pthread -o /tmp/ant_steps Benchmarks/mujoco/ant_steps.c -lmujoco -lm
//   /tmp/ant_steps Sources/MuJoCoEnvironments/Models/ant.xml 100000 [copies [threads]]
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <mujoco/mujoco.h>

enum { frameSkip = 5 };

typedef struct {
    mjData* d;
    uint64_t random;  // SplitMix64 state
    long episodeStep, resets;
    double checksum;
} Copy;

static uint64_t next(uint64_t* state) {
    *state += 0x9E3779B97F4A7C15ull;
    uint64_t z = *state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double uniform(uint64_t* state) { return (double)(next(state) >> 11) * (1.0 / 9007199254740992.0); }
static double normal(uint64_t* state) {
    double u1 = 1.0 - uniform(state), u2 = uniform(state);
    return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

static void reset(const mjModel* m, Copy* c) {
    mjData* d = c->d;
    mj_resetData(m, d);
    for (int i = 0; i < m->nq; i++) d->qpos[i] += 0.1 * (2 * uniform(&c->random) - 1);
    double norm = 0;
    for (int i = 3; i < 7; i++) norm += d->qpos[i] * d->qpos[i];
    norm = sqrt(norm);
    for (int i = 3; i < 7; i++) d->qpos[i] /= norm;
    for (int i = 0; i < m->nv; i++) d->qvel[i] = 0.1 * normal(&c->random);
    mj_forward(m, d);
}

/// One environment step of one copy.
static void step(const mjModel* m, Copy* c) {
    mjData* d = c->d;
    float observation[29];
    for (int i = 0; i < m->nu; i++) d->ctrl[i] = 2 * uniform(&c->random) - 1;
    for (int k = 0; k < frameSkip; k++) mj_step(m, d);
    for (int i = 0; i < 15; i++) observation[i] = (float)d->qpos[i];
    for (int i = 0; i < 14; i++) observation[15 + i] = (float)d->qvel[i];
    c->checksum += observation[0];
    c->episodeStep++;
    if (d->qpos[2] < 0.2 || d->qpos[2] > 1.0 || c->episodeStep >= 1000) {
        reset(m, c);
        c->resets++;
        c->episodeStep = 0;
    }
}

typedef struct {
    const mjModel* m;
    Copy* copies;
    int first, end;
    long rounds;
    pthread_barrier_t* barrier;
} Slice;

static void* run(void* argument) {
    Slice* s = argument;
    for (long round = 0; round < s->rounds; round++) {
        for (int c = s->first; c < s->end; c++) step(s->m, &s->copies[c]);
        pthread_barrier_wait(s->barrier);
    }
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char** argv) {
    const char* path = argc > 1 ? argv[1] : "Sources/MuJoCoEnvironments/Models/ant.xml";
    long steps = argc > 2 ? atol(argv[2]) : 100000;
    int count = argc > 3 ? atoi(argv[3]) : 1, threads = argc > 4 ? atoi(argv[4]) : 1;
    if (count < 1 || threads < 1 || threads > count) {
        fprintf(stderr, "need 1 <= threads <= copies, got %d copies and %d threads\n", count, threads);
        return 1;
    }
    char error[1024] = "";
    mjModel* m = mj_loadXML(path, NULL, error, sizeof error);
    if (!m) { fprintf(stderr, "MuJoCo: %s\n", error); return 1; }
    Copy* copies = calloc(count, sizeof(Copy));
    for (int c = 0; c < count; c++) {
        copies[c].d = mj_makeData(m);
        copies[c].random = 1 + c;
        reset(m, &copies[c]);
    }
    long rounds = steps / count > 0 ? steps / count : 1;
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, threads);
    Slice* slices = calloc(threads, sizeof(Slice));
    pthread_t* workers = calloc(threads, sizeof(pthread_t));
    double start = now();
    for (int t = 0; t < threads; t++) {
        slices[t] = (Slice){m, copies, t * count / threads, (t + 1) * count / threads, rounds, &barrier};
        if (t > 0) pthread_create(&workers[t], NULL, run, &slices[t]);
    }
    run(&slices[0]);
    for (int t = 1; t < threads; t++) pthread_join(workers[t], NULL);
    double seconds = now() - start;
    long resets = 0;
    double checksum = 0;
    for (int c = 0; c < count; c++) {
        resets += copies[c].resets;
        checksum += copies[c].checksum;
        mj_deleteData(copies[c].d);
    }
    printf("c: %ld steps in %.3f s = %.0f steps/s (%d copies, %d threads, MuJoCo %s, frame skip %d, %ld resets, checksum %.3f)\n",
           rounds * count, seconds, rounds * count / seconds, count, threads, mj_versionString(), frameSkip, resets, checksum);
    pthread_barrier_destroy(&barrier);
    free(workers);
    free(slices);
    free(copies);
    mj_deleteModel(m);
    return 0;
}
