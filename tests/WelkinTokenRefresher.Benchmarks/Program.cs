using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project tests/WelkinTokenRefresher.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
