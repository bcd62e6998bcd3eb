"""How many starts of JaxGCRL's ant leave the healthy height (torso z in 0.2..1.0) within 30 steps
of constant actions (0, +1, -1), in Brax's spring backend: the reference for DeepCRL's
`AntConfiguration.liftsFeetOutOfTheFloor`. Not part of the library:

    pip install brax
    python start_pop.py PATH/TO/JaxGCRL/jaxgcrl/envs/assets/ant.xml

Resets as JaxGCRL's ant resets (see random_play.py). Prints, per action, the starts that left
and the median of the highest torso z over the first 10 steps.
"""
import argparse

import jax
import jax.numpy as jnp
import numpy as np

from random_play import brax_ant


def highest_torso(xml_path, episodes, steps, action, seed):
    init, step = brax_ant(xml_path)

    def advance(state, _):
        return step(state, jnp.full((8,), action)), state.q[2]

    @jax.jit
    def rollout(key):
        states = jax.vmap(init)(jax.random.split(key, episodes))
        return jax.vmap(lambda s: jax.lax.scan(advance, s, None, length=steps + 1)[1][1:])(states)

    return np.asarray(rollout(jax.random.PRNGKey(seed)))  # (episodes, steps): torso z after each step


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("xml")
    parser.add_argument("--episodes", type=int, default=512)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for action in (0.0, 1.0, -1.0):
        z = highest_torso(args.xml, args.episodes, 30, action, args.seed)
        left = ((z < 0.2) | (z > 1.0)).any(axis=1).sum()
        print(f"action {action:+.0f}: {left} of {args.episodes} starts left the healthy height within 30 steps; "
              f"highest torso over the first 10 steps: median {np.median(z[:, :10].max(axis=1)):.2f} m")
