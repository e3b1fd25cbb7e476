using System.Net;
using System.Net.Http.Headers;

namespace Flywheel.Client.Http;

/// <summary>
/// A request body read from a stream in chunks, reporting the bytes sent. A seekable stream is rewound before each
/// send, so a retried upload sends the whole file again rather than what was left of it.
/// </summary>
internal sealed class ProgressContent : HttpContent
{
    private readonly Stream _content;
    private readonly IProgress<TransferProgress>? _progress;
    private readonly long _start;
    private bool _sent;

    public ProgressContent(Stream content, string mediaType, IProgress<TransferProgress>? progress)
    {
        _content = content;
        _progress = progress;
        _start = content.CanSeek ? content.Position : 0;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_sent)
        {
            if (!_content.CanSeek)
            {
                throw new InvalidOperationException("The upload cannot be sent again: its stream cannot seek. Pass a file or a seekable stream to retry uploads.");
            }

            _content.Position = _start;
        }

        _sent = true;
        await Transfers.CopyAsync(_content, stream, TryComputeLength(out var length) ? length : null, _progress, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _content.CanSeek ? _content.Length - _start : 0;
        return _content.CanSeek;
    }
}
