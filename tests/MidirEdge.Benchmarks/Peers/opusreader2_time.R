#!/usr/bin/env Rscript
# Time opusreader2 per OPUS file, the way
# `midir-edge bench read` times ours: warm-up (>= 50 reads and >= 200 ms), then
# 9 rounds of ~40 ms each, median time per read. One R process, one thread.
#
# Usage: Rscript opusreader2_time.R FOLDER   (opusreader2 installed, or its library in R_LIBS)
#
# Three figures per file, each printed as file<TAB>microseconds:
#  1. read_opus_single(path): opusreader2's public one-file reader. It reads the
#     file from disk on EVERY call (file.size + readBin of the whole file; the
#     OS page cache serves it after the first read), then parses it and builds
#     basic_metadata.
#  2. readBin(path, "raw", n = file.size(path)) alone: the disk/page-cache part
#     of (1), to show it is negligible.
#  3. parse_opus(raw, data_only = FALSE) on bytes already in memory: the
#     parsing part only. NOTE: `midir-edge bench read` times OUR reader from the
#     file's bytes in memory (see src/MidirEdge.Cli/Benchmarking/ReadBenchmark.cs),
#     so (3) is the like-for-like figure; (1) adds the read + basic_metadata.
suppressPackageStartupMessages(library(opusreader2))
parse_opus <- getFromNamespace("parse_opus", "opusreader2")

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript opusreader2_time.R FOLDER")
dir <- args[1]
files <- sort(list.files(dir, full.names = TRUE))

rounds <- 9L
now <- function() as.numeric(Sys.time())  # microsecond resolution on Linux

measure <- function(fun) {
  # warm-up: at least 50 calls and 200 ms
  n <- 0L; t0 <- now()
  while (n < 50L || now() - t0 < 0.2) { fun(); n <- n + 1L }
  per_call <- (now() - t0) / n
  per_round <- max(1L, as.integer(0.04 / per_call))
  times <- numeric(rounds)
  for (r in seq_len(rounds)) {
    t1 <- now()
    for (i in seq_len(per_round)) fun()
    times[r] <- (now() - t1) / per_round
  }
  median(times) * 1e6
}


cat(sprintf("# R %s, opusreader2 %s %d rounds, median per read\n",
            getRversion(), as.character(packageVersion("opusreader2")), rounds))
res <- data.frame(file = basename(files), single = NA_real_, readbin = NA_real_, parse = NA_real_)
for (k in seq_along(files)) {
  f <- files[k]
  raw <- readBin(f, "raw", n = file.size(f))
  res$single[k]  <- measure(function() read_opus_single(f))
  res$readbin[k] <- measure(function() readBin(f, "raw", n = file.size(f)))
  res$parse[k]   <- measure(function() parse_opus(raw, FALSE))
}
cat("# 1. read_opus_single(path)  [reads the file from disk each call]\n")
for (k in seq_len(nrow(res))) cat(sprintf("%s\t%.1f\n", res$file[k], res$single[k]))
cat("# 2. readBin(path) raw bytes only\n")
for (k in seq_len(nrow(res))) cat(sprintf("%s\t%.1f\n", res$file[k], res$readbin[k]))
cat("# 3. parse_opus(raw) from bytes in memory  [like-for-like with midir-edge bench read]\n")
for (k in seq_len(nrow(res))) cat(sprintf("%s\t%.1f\n", res$file[k], res$parse[k]))
cat("# loadavg:", readLines("/proc/loadavg"), "\n")
