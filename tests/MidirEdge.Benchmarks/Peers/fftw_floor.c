/*
 * The FFTs alone of one scattering transform, each in the plan FFTW's patient planner finds fastest: a floor under
 * any implementation that follows Kymatio's algorithm, whatever it does between its FFTs.
 *
 *   cc -O2 -o fftw_floor fftw_floor.c -lfftw3          (Debian: apt-get install libfftw3-dev)
 *   python3 kymatio_time.py --fft-sizes | ./fftw_floor [rounds]
 *
 * Reads lines "kind length count" (c2c: complex inverse FFT; r2c: real forward; c2r: real inverse), runs every
 * transform of the list once per spectrum for 2,000 spectra a round on one thread, and prints the median and best
 * microseconds a spectrum over the rounds (7 unless given). Real FFTs of the moduli are cheaper than the complex ones
 * Kymatio's numpy backend runs, so the floor is if anything low.
 */
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MaxKinds = 64, MaxLength = 1 << 20, Spectra = 2000 };

typedef struct {
    fftw_plan plan;
    int count;
} transform;

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 7;
    if (rounds < 1 || rounds > 100) {
        fprintf(stderr, "fftw_floor: rounds must be 1 to 100, not '%s'\n", argv[1]);
        return 2;
    }
    // Each kind has its own buffers, so that a c2r plan destroying its input never feeds the others.
    fftw_complex *in = fftw_alloc_complex(MaxLength), *out = fftw_alloc_complex(MaxLength);
    fftw_complex *halfIn = fftw_alloc_complex(MaxLength), *halfOut = fftw_alloc_complex(MaxLength);
    double *real = fftw_alloc_real(MaxLength), *realOut = fftw_alloc_real(MaxLength);
    transform list[MaxKinds];
    int kinds = 0, perSpectrum = 0;
    char kind[8];
    int length, count;
    while (scanf("%7s %d %d", kind, &length, &count) == 3) {
        if (kinds == MaxKinds || length < 2 || length > MaxLength || count < 1) {
            fprintf(stderr, "fftw_floor: line '%s %d %d' is out of range (at most %d lines, lengths 2 to %d)\n", kind,
                    length, count, MaxKinds, MaxLength);
            return 2;
        }
        fftw_plan plan;
        if (strcmp(kind, "c2c") == 0)
            plan = fftw_plan_dft_1d(length, in, out, FFTW_BACKWARD, FFTW_PATIENT);
        else if (strcmp(kind, "r2c") == 0)
            plan = fftw_plan_dft_r2c_1d(length, real, halfOut, FFTW_PATIENT);
        else if (strcmp(kind, "c2r") == 0)
            plan = fftw_plan_dft_c2r_1d(length, halfIn, realOut, FFTW_PATIENT);
        else {
            fprintf(stderr, "fftw_floor: unknown kind '%s' (c2c, r2c or c2r)\n", kind);
            return 2;
        }
        list[kinds++] = (transform){plan, count};
        perSpectrum += count;
    }
    if (kinds == 0) {
        fprintf(stderr, "fftw_floor: no transforms on standard input (pipe in kymatio_time.py --fft-sizes)\n");
        return 2;
    }
    // Planning overwrote the buffers, and c2r plans overwrite their input, so the data are refilled each round.
    double times[100];
    for (int r = 0; r < rounds; r++) {
        srand(20261203 + r);
        for (int i = 0; i < MaxLength; i++) {
            in[i][0] = rand() / (double)RAND_MAX - 0.5;
            in[i][1] = rand() / (double)RAND_MAX - 0.5;
            halfIn[i][0] = in[i][1];
            halfIn[i][1] = in[i][0];
            real[i] = rand() / (double)RAND_MAX;
        }
        double start = seconds();
        for (int s = 0; s < Spectra; s++)
            for (int k = 0; k < kinds; k++)
                for (int c = 0; c < list[k].count; c++) fftw_execute(list[k].plan);
        times[r] = (seconds() - start) / Spectra * 1e6;
    }
    qsort(times, rounds, sizeof times[0], ascending);
    printf("FFTW %s, %d transforms a spectrum, %d rounds of %d spectra: median %.1f us a spectrum, best %.1f\n",
           fftw_version, perSpectrum, rounds, Spectra, times[rounds / 2], times[0]);
    return 0;
}
