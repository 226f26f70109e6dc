namespace WelkinTokenRefresher.Core.Reporting;

/// <summary>The JSON answer to a request that could not be acted on, such as a bad parameter.</summary>
public sealed record ErrorReport(string Category, string Message);
