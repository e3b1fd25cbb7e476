using System.Text;

namespace Flywheel.Client.Http;

/// <summary>A route of <see cref="Flywheel.Contracts.Routes"/> with its values filled in (escaped) and a query string.</summary>
internal readonly struct ApiPath
{
    private readonly string _path;

    private ApiPath(string path) => _path = path;

    /// <summary>Fills each <c>{name}</c> of <paramref name="template"/> with its escaped value, in order.</summary>
    public static ApiPath Of(string template, params ReadOnlySpan<(string Name, string Value)> values)
    {
        var path = template;
        foreach (var (name, value) in values)
        {
            ArgumentException.ThrowIfNullOrEmpty(value, name);
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        return new ApiPath(path);
    }

    /// <summary>Adds the query parameters that have a value.</summary>
    public ApiPath With(params ReadOnlySpan<(string Name, string? Value)> query)
    {
        var builder = new StringBuilder(_path);
        var separator = _path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (name, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return new ApiPath(builder.ToString());
    }

    public override string ToString() => _path;
}
