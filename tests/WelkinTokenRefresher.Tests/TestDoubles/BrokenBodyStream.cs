namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>
/// An answer body as the network delivers it: the first bytes, then a fault — a reset connection, or a stall that only
/// cancellation ends.
/// </summary>
public sealed class BrokenBodyStream(byte[] start, Func<CancellationToken, Task> fault) : Stream
{
    private int _position;

    public static StreamContent ThatResets(string start) =>
        new(new BrokenBodyStream(System.Text.Encoding.UTF8.GetBytes(start), _ => throw new IOException("Connection reset by peer")));

    public static StreamContent ThatStalls(string start) =>
        new(new BrokenBodyStream(System.Text.Encoding.UTF8.GetBytes(start), cancellationToken => Task.Delay(Timeout.Infinite, cancellationToken)));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < start.Length)
        {
            var count = Math.Min(buffer.Length, start.Length - _position);
            start.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        await fault(cancellationToken);
        throw new IOException("The body ended without its fault.");
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Only asynchronous reads.");

    public override void Flush() => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
