using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// The generated benchmark project builds the whole solution; on a 2-core box that can outlast the 2-minute default.
var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
