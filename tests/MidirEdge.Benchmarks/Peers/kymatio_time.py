#!/usr/bin/env python3
"""Time Kymatio 0.3's numpy Scattering1D on one thread, as `midir-edge bench scatter` times ours.

Matches `midir-edge bench scatter --J 4 --Q 12 --n 1716` defaults:
J=4, Q=(12,1), T=2**J=16, max_order=2, oversampling=0, float64 input.
Usage: python3 kymatio_time.py [--rounds 7]   (kymatio 0.3.0 importable, or its folder in KYMATIO_PATH)
       python3 kymatio_time.py --fft-sizes | ./fftw_floor   (the FFTs of one transform, timed in FFTW)
"""
import os
# Force one thread BEFORE numpy/scipy are imported.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
            "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[var] = "1"

import argparse
import collections
import platform
import statistics
import sys
import time

import numpy as np
import scipy

if "KYMATIO_PATH" in os.environ:
    sys.path.insert(0, os.environ["KYMATIO_PATH"])
from kymatio.numpy import Scattering1D  # noqa: E402


def synthetic_spectra(count, n, seed=20261124):
    """Smooth absorbance-like spectra: 6 Gaussian bands on a baseline, small noise
    (same recipe as BenchCommand.SyntheticSpectra, numpy RNG instead of .NET's)."""
    rng = np.random.default_rng(seed)
    i = np.arange(n, dtype=np.float64)
    x = np.zeros((count, n))
    for s in range(count):
        baseline = 0.2 + 0.3 * rng.random()
        for _ in range(6):
            centre, width, height = rng.random() * n, 5 + 60 * rng.random(), rng.random()
            z = (i - centre) / width
            x[s] += height * np.exp(-0.5 * z * z)
        x[s] += baseline + 0.002 * (rng.random(n) - 0.5)
    return x


def fft_sizes(S):
    """The FFTs one transform makes, walked as Kymatio 0.3's scattering1d walks its filter bank (oversampling 0):
    lines "kind length count", kind c2c (inverse, of a wavelet product), r2c (of the signal or a modulus) or c2r (low-pass)."""
    n, log2_t = S._N_padded, S.phi_f["j"]
    counts = collections.Counter({("r2c", n): 1, ("c2r", n >> log2_t): 1})
    for p1 in S.psi1_f:
        k1 = min(p1["j"], log2_t)
        n1 = n >> k1
        counts[("c2c", n1)] += 1
        counts[("r2c", n1)] += 1
        counts[("c2r", n1 >> max(log2_t - k1, 0))] += 1
        for p2 in S.psi2_f:
            if p2["j"] > p1["j"]:
                k2 = max(min(p2["j"], log2_t) - k1, 0)
                n2 = n1 >> k2
                counts[("c2c", n2)] += 1
                counts[("r2c", n2)] += 1
                counts[("c2r", n2 >> max(log2_t - k1 - k2, 0))] += 1
    return sorted(counts.items(), key=lambda item: (item[0][0], -item[0][1]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--J", type=int, default=4)
    ap.add_argument("--Q", type=int, default=12)
    ap.add_argument("--n", type=int, default=1716)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--fft-sizes", action="store_true", help="print the FFTs of one transform instead of timing")
    args = ap.parse_args()

    S = Scattering1D(J=args.J, shape=args.n, Q=args.Q)  # T defaults to 2**J, max_order=2
    if args.fft_sizes:
        for (kind, length), count in fft_sizes(S):
            print(kind, length, count)
        return
    x = synthetic_spectra(200, args.n)
    out = S(x[0])
    print("kymatio numpy Scattering1D J=%d Q=%s T=%d max_order=%d N=%d "
          "(padded %d): output %s, float64" % (S.J, S.Q, S.T, S.max_order, args.n, S._N_padded, out.shape))
    print("python %s, numpy %s, scipy %s, threads forced to 1 (OMP/OPENBLAS/MKL_NUM_THREADS=1)"
          % (platform.python_version(), np.__version__, scipy.__version__))

    # warm-up
    for k in range(20):
        S(x[k])
    S(x[:100])

    # batch 1: one spectrum per call
    per_round = 100
    r1 = []
    for r in range(args.rounds):
        t0 = time.perf_counter()
        for k in range(per_round):
            S(x[k])
        r1.append((time.perf_counter() - t0) / per_round * 1e6)

    # batch 100: 100 spectra per call
    r100 = []
    calls = 3
    for r in range(args.rounds):
        t0 = time.perf_counter()
        for c in range(calls):
            S(x[(c % 2) * 100:(c % 2) * 100 + 100])
        r100.append((time.perf_counter() - t0) / (calls * 100) * 1e6)

    print("batch   1 per call: median %9.1f us/spectrum  (rounds: %s)"
          % (statistics.median(r1), ", ".join("%.0f" % v for v in r1)))
    print("batch 100 per call: median %9.1f us/spectrum  (rounds: %s)"
          % (statistics.median(r100), ", ".join("%.0f" % v for v in r100)))
    with open("/proc/loadavg") as f:
        print("loadavg:", f.read().strip())


if __name__ == "__main__":
    main()
