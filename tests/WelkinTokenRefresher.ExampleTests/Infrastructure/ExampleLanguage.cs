namespace WelkinTokenRefresher.ExampleTests.Infrastructure;

/// <summary>A consumer example: its file under docs/examples, the README block that shows it, and how to run its driver.</summary>
public sealed record ExampleLanguage(string Name, string ExampleFile, string ReadmeFence, string Driver)
{
    public static ExampleLanguage Python { get; } = new("python", "docs/examples/python/welkin_token.py", "```python", "drive.py");

    public static ExampleLanguage JavaScript { get; } = new("javascript", "docs/examples/javascript/welkin-token.mjs", "```javascript", "drive.mjs");

    public string ExamplePath => RepoPaths.Combine(ExampleFile.Split('/'));

    public string DriverPath => RepoPaths.Combine("tests", "WelkinTokenRefresher.ExampleTests", "Drivers", Driver);

    public override string ToString() => Name;
}
