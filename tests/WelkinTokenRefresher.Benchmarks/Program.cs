using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release -f net10.0 --project tests/WelkinTokenRefresher.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
