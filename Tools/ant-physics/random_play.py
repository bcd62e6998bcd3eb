"""How long an ant stays within its healthy height (torso z in 0.2..1.0) under uniformly random
actions, in Brax's spring backend (the physics of JaxGCRL's and the paper's ant) or in MuJoCo.

A reference check for DeepCRL's `AntConfiguration.motorGear`, not part of the library:

    pip install brax        # brings jax and the mujoco Python bindings
    python random_play.py brax PATH/TO/JaxGCRL/jaxgcrl/envs/assets/ant.xml
    python random_play.py mujoco Sources/MuJoCoEnvironments/Models/ant.xml --gear 150
    python random_play.py mujoco Sources/MuJoCoEnvironments/Models/ant.xml --gear 150 --lift
    python random_play.py mujoco Sources/MuJoCoEnvironments/Models/ant.xml --gear 55

Protocol, as JaxGCRL's ant resets: Brax's standing pose (z 0.55) plus uniform +-0.1 noise on every
position, velocities 0.1 N(0, 1); then up to 1000 steps of 0.05 s with actions uniform in [-1, 1].
"""
import argparse

import numpy as np

STANDING = np.array([0, 0, 0.55, 1, 0, 0, 0, 0, 1, 0, -1, 0, -1, 0, 1.0])


def brax_ant(xml_path):
    """JaxGCRL's ant under Brax's spring backend: `init(key)` draws a reset as JaxGCRL's ant resets
    (goal parked at 10, 0), `step(state, action)` runs one 0.05 s environment step."""
    import jax
    import jax.numpy as jnp
    from brax.io import mjcf
    from brax.spring import pipeline

    model = mjcf.load(xml_path).tree_replace({"opt.timestep": 0.005})  # JaxGCRL: spring, 10 substeps

    def init(key):
        k1, k2 = jax.random.split(key)
        q = model.init_q + jax.random.uniform(k1, (model.q_size(),), minval=-0.1, maxval=0.1)
        qd = 0.1 * jax.random.normal(k2, (model.qd_size(),))
        return pipeline.init(model, q.at[-2:].set(jnp.array([10.0, 0.0])), qd.at[-2:].set(0))

    def step(state, action):
        return jax.lax.scan(lambda s, _: (pipeline.step(model, s, action), None), state, None, length=10)[0]

    return init, step


def brax_episodes(xml_path, episodes, steps, seed):
    import jax

    init, step = brax_ant(xml_path)

    @jax.jit
    def rollout(key):
        keys = jax.random.split(key, episodes + 1)
        states = jax.vmap(init)(keys[1:])

        def f(s, k):
            s = jax.vmap(step)(s, jax.random.uniform(k, (episodes, 8), minval=-1, maxval=1))
            return s, s.q[:, :3]

        return jax.lax.scan(f, states, jax.random.split(keys[0], steps))[1]

    xyz = np.asarray(rollout(jax.random.PRNGKey(seed)))  # (steps, episodes, 3)
    return [xyz[:, e, :] for e in range(episodes)]


def mujoco_episodes(xml_path, gear, episodes, steps, seed, spring_inertia=False, damping=None, armature=None, lift=False):
    import mujoco

    xml = open(xml_path).read().replace('gear="150"', f'gear="{gear}"')
    model = mujoco.MjModel.from_xml_string(xml)
    data = mujoco.MjData(model)
    if spring_inertia:  # Brax spring with spring_mass_scale = spring_inertia_scale = 1: mass^0, inertia^0
        model.body_mass[1:] = 1
        model.body_inertia[1:] = 1
    if damping is not None:
        model.dof_damping[6:] = damping
    if armature is not None:
        model.dof_armature[6:] = armature
    mujoco.mj_setConst(model, data)
    substeps = int(round(0.05 / model.opt.timestep))
    feet = [mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_GEOM, f"{leg}_foot")
            for leg in ("front_left", "front_right", "back_left", "back_right")]
    rng = np.random.default_rng(seed)
    paths = []
    for _ in range(episodes):
        mujoco.mj_resetData(model, data)
        data.qpos[:15] = STANDING + rng.uniform(-0.1, 0.1, 15)
        data.qpos[3:7] /= np.linalg.norm(data.qpos[3:7])
        data.qvel[:14] = 0.1 * rng.standard_normal(14)
        if lift:  # AntConfiguration.liftsFeetOutOfTheFloor: raise the torso until no foot is inside the floor
            mujoco.mj_kinematics(model, data)
            data.qpos[2] += max(0.0, -min(data.geom_xpos[g, 2] - model.geom_size[g, 0] for g in feet))
        path = []
        for _ in range(steps):
            data.ctrl[:] = rng.uniform(-1, 1, 8)
            for _ in range(substeps):
                mujoco.mj_step(model, data)
            path.append(data.qpos[:3].copy())
        paths.append(np.array(path))
    return paths


def report(paths, steps):
    ends, high = [], 0
    for xyz in paths:
        bad = np.where((xyz[:, 2] < 0.2) | (xyz[:, 2] > 1.0))[0]
        ends.append(bad[0] + 1 if len(bad) else steps)
        high += bool(len(bad)) and xyz[bad[0], 2] > 1.0
    ends = np.array(ends)
    moved = [np.linalg.norm(xyz[99, :2] - xyz[0, :2]) for xyz, end in zip(paths, ends) if end > 100]
    early = ends < steps
    print(f"{len(paths)} episodes: {early.mean():.2f} left the healthy height before step {steps} "
          f"({high} too high, {early.sum() - high} too low); steps survived: median {np.median(ends):.0f}, "
          f"mean {ends.mean():.0f}; "
          f"moved in 100 steps (survivors): median {np.median(moved):.2f} m")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("physics", choices=["brax", "mujoco"])
    parser.add_argument("xml")
    parser.add_argument("--gear", type=float, default=150, help="motor gear (mujoco only)")
    parser.add_argument("--spring-inertia", action="store_true",
                        help="every body mass 1 and inertia 1, as Brax's spring backend sees the ant (mujoco only)")
    parser.add_argument("--damping", type=float, help="joint damping (mujoco only)")
    parser.add_argument("--armature", type=float, help="joint armature (mujoco only)")
    parser.add_argument("--lift", action="store_true",
                        help="raise each start until no foot is inside the floor, as DeepCRL's ant does (mujoco only)")
    parser.add_argument("--episodes", type=int, default=256)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.physics == "brax":
        paths = brax_episodes(args.xml, args.episodes, args.steps, args.seed)
    else:
        paths = mujoco_episodes(args.xml, args.gear, args.episodes, args.steps, args.seed,
                                args.spring_inertia, args.damping, args.armature, args.lift)
    report(paths, args.steps)
