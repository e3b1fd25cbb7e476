using System.Text.Json;
using Flywheel.Contracts;

namespace Flywheel.Cli;

/// <summary>Reads a request record (a contract, a policy) from a JSON file with the app's strict request options, so a misspelt key fails here with exit 2.</summary>
internal static class JsonInput
{
    private static readonly JsonSerializerOptions s_options = FlywheelJson.CreateRequestOptions();

    public static async Task<T> ReadAsync<T>(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new FileNotFoundException($"There is no file {file.FullName}.");
        }

        var stream = file.OpenRead();
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync<T>(stream, s_options, cancellationToken).ConfigureAwait(false)
                    ?? throw new CliUsageException($"{file.Name} holds null, not a {typeof(T).Name}.");
            }
            catch (JsonException e)
            {
                throw new CliUsageException($"{file.Name} is not a valid {typeof(T).Name}: {e.Message}", e);
            }
        }
    }

    public static T Parse<T>(string json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, s_options) ?? throw new CliUsageException($"{what} is null.");
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{what} is not valid JSON: {e.Message}", e);
        }
    }
}
