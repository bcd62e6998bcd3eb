"""Python baseline for the ant step rate with the official `mujoco` bindings (a newer engine).

Same MJCF, same loop as DeepCRL's Ant and Benchmarks/mujoco/ant_steps.c: 5 physics steps per
environment step, uniform random actions, the 29-number state copied out as float32, reset with
±0.1 position noise and 0.1·N(0,1) velocities when the torso leaves 0.2…1.0 or after 1000 steps.

    python3 -m venv $HOME/.mjbench && $HOME/.mjbench/bin/pip install mujoco numpy
    $HOME/.mjbench/bin/python Benchmarks/mujoco/ant_steps.py Sources/MuJoCoEnvironments/Models/ant.xml 100000
"""
import sys
import time

import mujoco
import numpy as np


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "Sources/MuJoCoEnvironments/Models/ant.xml"
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    frame_skip = 5
    model = mujoco.MjModel.from_xml_path(path)
    data = mujoco.MjData(model)
    rng = np.random.default_rng(1)
    # Actions are drawn in blocks so that the random generator is not what we time.
    actions = rng.uniform(-1, 1, size=(10_000, model.nu))

    def reset():
        mujoco.mj_resetData(model, data)
        data.qpos[:] += rng.uniform(-0.1, 0.1, size=model.nq)
        data.qpos[3:7] /= np.linalg.norm(data.qpos[3:7])
        data.qvel[:] = 0.1 * rng.standard_normal(model.nv)
        mujoco.mj_forward(model, data)

    reset()
    checksum = 0.0
    resets = 0
    episode_step = 0
    observation = np.empty(29, dtype=np.float32)
    start = time.perf_counter()
    for step in range(steps):
        data.ctrl[:] = actions[step % len(actions)]
        mujoco.mj_step(model, data, nstep=frame_skip)
        observation[:15] = data.qpos
        observation[15:] = data.qvel
        checksum += observation[0]
        episode_step += 1
        z = data.qpos[2]
        if z < 0.2 or z > 1.0 or episode_step >= 1000:
            reset()
            resets += 1
            episode_step = 0
    seconds = time.perf_counter() - start
    print(f"python: {steps} steps in {seconds:.3f} s = {steps / seconds:.0f} steps/s "
          f"(mujoco {mujoco.__version__}, frame skip {frame_skip}, {resets} resets, checksum {checksum:.3f})")


if __name__ == "__main__":
    main()
