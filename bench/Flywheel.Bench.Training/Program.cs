using System.Globalization;
using System.Text.Json;
using Flywheel;
using Flywheel.Training;

// Usage: Flywheel.Bench.Training <plan.json> <repeats> <frame.csv>...
// Fits LightGBM with its defaults on the frame, as a search's first trial does at full rounds,
// and prints the median fit time in seconds (the fit alone: ML.NET's featurization and training).
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Flywheel.Bench.Training <plan.json> <repeats> <frame.csv>...");
    return 2;
}

var plan = JsonSerializer.Deserialize<TrainingPlan>(File.ReadAllText(args[0]), Json.Options)!;
var repeats = int.Parse(args[1], CultureInfo.InvariantCulture);
var times = new List<double>();
for (var i = 0; i < repeats; i++)
{
    var fitted = CandidateTrainer.Fit(plan, plan.Classes, new TrialSpec("lightgbm", new Dictionary<string, double>()), args[2..]);
    times.Add(fitted.FitTime.TotalSeconds);
}

times.Sort();
Console.WriteLine(times[times.Count / 2].ToString("F3", CultureInfo.InvariantCulture));
return 0;
