"""How large a freshly initialized actor's heads are, at several depths, in the reference JAX network.

A reference check for the depth study, not part of the library. It runs the initialization and the
forward pass of `../shared/bench/crl_update_jax.py` (the paper's residual Dense-LayerNorm-Swish
network) and prints, per depth, the average |value| of the mean head and of the raw log-std head, and
the Gaussian entropy of the tanh-Gaussian actor's pre-squash distribution (log-std mapped into
[-5, 2] as the reference does), averaged over seeds:

    python actor_heads.py [--bench ../shared/bench/crl_update_jax.py] [--depths 4,8,16,32,64]

Needs jax (the bench's own requirement).
"""
import argparse
import math

import jax
import jax.numpy as jnp

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--bench", default="../shared/bench/crl_update_jax.py")
parser.add_argument("--depths", default="4,8,16,32,64")
parser.add_argument("--seeds", type=int, default=3)
parser.add_argument("--inputs", type=int, default=512)
parser.add_argument("--input-size", type=int, default=6, help="observation plus goal (point mazes: 4 + 2)")
parser.add_argument("--actions", type=int, default=2)
args = parser.parse_args()

# The bench's definitions up to its optimizer: dense_init, net_init, layer_norm, net_apply.
source = open(args.bench).read()
definitions = {}
exec(source[:source.index("def adam_init")].replace("a = p.parse_args()", "a = p.parse_args([])"), definitions)

for depth in map(int, args.depths.split(",")):
    mean_sizes, raw_sizes, entropies = [], [], []
    for seed in range(args.seeds):
        actor = definitions["net_init"](jax.random.PRNGKey(seed), args.input_size, 256, depth, [args.actions] * 2)
        inputs = jax.random.normal(jax.random.PRNGKey(1000 + seed), (args.inputs, args.input_size))
        mean, raw = definitions["net_apply"](actor, inputs)
        log_std = -5 + 0.5 * 7 * (jnp.tanh(raw) + 1)
        mean_sizes.append(float(jnp.abs(mean).mean()))
        raw_sizes.append(float(jnp.abs(raw).mean()))
        entropies.append(float((log_std + 0.5 * math.log(2 * math.pi * math.e)).sum(-1).mean()))
    n = args.seeds
    print(f"depth {depth:4d}: |mean head| {sum(mean_sizes) / n:.2f}  |raw log-std head| {sum(raw_sizes) / n:.2f}  "
          f"entropy {sum(entropies) / n:.2f}")
