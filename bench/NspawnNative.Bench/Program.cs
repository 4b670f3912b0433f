using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// make bench runs every benchmark with a short job; pass BenchmarkDotNet's own options to pick one
// (for example --filter '*Sysfs*').
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
