using System.Text.Json.Serialization;

namespace WelkinTokenRefresher.Core.Reporting;

/// <summary>Source-generated JSON for the answers hosts print or return.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RefreshReport))]
[JsonSerializable(typeof(TokenStatusReport))]
[JsonSerializable(typeof(ErrorReport))]
[JsonSerializable(typeof(AllClientsStatusReport))]
[JsonSerializable(typeof(AllClientsRefreshReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
