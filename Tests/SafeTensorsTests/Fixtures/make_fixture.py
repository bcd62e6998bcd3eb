"""Writes python_written.safetensors, the fixture SafeTensorsTests reads to check that files
written by Hugging Face's safetensors package load with the expected values and metadata.

    pip install safetensors numpy
    python make_fixture.py

Made with safetensors 0.8.0 and numpy 2.4.6.
"""

from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

tensors = {
    "dense.weight": np.array([[0.5, -1.25, 2.0], [3.5, -0.0, 1e-3]], dtype=np.float32),
    "dense.bias": np.array([0.25, -0.75, 1e30], dtype=np.float32),
    "scale": np.array(1.5, dtype=np.float32),  # 0-dimensional
    "empty": np.zeros((0, 4), dtype=np.float32),
    "half": np.array([1.5, -2.0, 65504.0, 2.0**-24], dtype=np.float16),
    "step": np.array([1234567890123], dtype=np.int64),
    "mask": np.array([True, False, True]),
    "bytes": np.array([0, 127, 255], dtype=np.uint8),
}
metadata = {"format": "deepcrl-test", "note": "caf\u00e9 \u2713 \"quoted\""}

save_file(tensors, str(Path(__file__).with_name("python_written.safetensors")), metadata=metadata)
