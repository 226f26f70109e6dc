using Azure.Core;
using Azure.Core.Pipeline;

namespace WelkinTokenRefresher.Client.Vault;

/// <summary>
/// Ends a read at once when the vault asks to wait longer than the SDK's <c>Retry.MaxDelay</c> between its own tries,
/// instead of letting the SDK sleep that long (VaultReadTimeout would cut it short and lose the 429). The token source
/// then remembers the failure for the time the vault asked for. Added per call to the clients this library builds.
/// </summary>
internal sealed class LongRetryAfterPolicy(TimeSpan longestSdkWait, TimeProvider time) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Classify(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Classify(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Classify(HttpMessage message) =>
        message.ResponseClassifier = new Classifier(message.ResponseClassifier, longestSdkWait, time);

    private sealed class Classifier(ResponseClassifier inner, TimeSpan longestSdkWait, TimeProvider time) : ResponseClassifier
    {
        public override bool IsRetriableResponse(HttpMessage message) =>
            inner.IsRetriableResponse(message)
            && !(RetryAfterHeader.Read(message.Response, time.GetUtcNow()) > longestSdkWait);

        public override bool IsRetriableException(Exception exception) => inner.IsRetriableException(exception);

        public override bool IsRetriable(HttpMessage message, Exception exception) => inner.IsRetriable(message, exception);

        public override bool IsErrorResponse(HttpMessage message) => inner.IsErrorResponse(message);
    }
}
