namespace MidirEdge.Spectra.Formats.Opus;

/// <summary>What a block holds, which decides how it is parsed.</summary>
internal enum OpusBlockClass
{
    Unknown,
    Data,
    Parameter,
    Report,
    Text,
}

/// <summary>Names blocks by their type codes exactly as opusreader2 does.</summary>
/// <remarks>
/// Keys are block-channel-text-additional codes. Where opusreader2 accepts additional type 0 or 64
/// (the "no atmospheric compensation" flag) both are accepted; elsewhere the code must match exactly.
/// Report blocks are parameter blocks that start with a 12-byte report header.
/// </remarks>
internal static class OpusBlockNames
{
    private const int Any = -1;

    // (block, channel, text, additional or Any for 0|64, class, name); the first match wins.
    private static readonly (byte Block, byte Channel, byte Text, int Additional, OpusBlockClass Class, string Name)[] Map =
    [
        (0, 0, 0, Any, OpusBlockClass.Text, "text_information"),
        (0, 0, 8, 0, OpusBlockClass.Parameter, "info_block"),
        (0, 0, 104, 64, OpusBlockClass.Text, "history"),
        (0, 0, 144, 1, OpusBlockClass.Report, "report_unknown"),
        (0, 0, 152, Any, OpusBlockClass.Text, "curve_fit"),
        (0, 0, 168, Any, OpusBlockClass.Text, "signature"),
        (0, 0, 240, Any, OpusBlockClass.Text, "integration_method"),
        (7, 4, 0, Any, OpusBlockClass.Data, "sc_sample"),
        (7, 8, 0, Any, OpusBlockClass.Data, "ig_sample"),
        (7, 12, 0, Any, OpusBlockClass.Data, "ph_sample"),
        (11, 4, 0, Any, OpusBlockClass.Data, "sc_ref"),
        (11, 8, 0, Any, OpusBlockClass.Data, "ig_ref"),
        (11, 12, 0, Any, OpusBlockClass.Data, "ph_ref"),
        (15, 16, 112, 0, OpusBlockClass.Report, "quant_report_ab"),
        (15, 16, 104, 1, OpusBlockClass.Report, "me_test_report_ab"),
        (15, 16, 96, 0, OpusBlockClass.Report, "quality_test_report"),
        (15, 16, 0, 64, OpusBlockClass.Data, "ab_no_atm_comp"),
        (15, 16, 0, 0, OpusBlockClass.Data, "ab"),
        (15, 48, 112, 0, OpusBlockClass.Report, "quant_report_refl"),
        (15, 48, 104, 1, OpusBlockClass.Report, "me_test_report_refl"),
        (15, 48, 0, 64, OpusBlockClass.Data, "refl_no_atm_comp"),
        (15, 48, 0, 0, OpusBlockClass.Data, "refl"),
        (15, 88, 0, Any, OpusBlockClass.Data, "match"),
        (15, 216, 0, Any, OpusBlockClass.Data, "match_2_chn"),
        (23, 4, 0, Any, OpusBlockClass.Parameter, "sc_sample_data_param"),
        (23, 8, 0, Any, OpusBlockClass.Parameter, "ig_sample_data_param"),
        (23, 12, 0, Any, OpusBlockClass.Parameter, "ph_sample_data_param"),
        (27, 4, 0, Any, OpusBlockClass.Parameter, "sc_ref_data_param"),
        (27, 8, 0, Any, OpusBlockClass.Parameter, "ig_ref_data_param"),
        (27, 12, 0, Any, OpusBlockClass.Parameter, "ph_ref_data_param"),
        (31, 16, 0, 64, OpusBlockClass.Parameter, "ab_no_atm_comp_data_param"),
        (31, 16, 0, 0, OpusBlockClass.Parameter, "ab_data_param"),
        (31, 48, 0, 64, OpusBlockClass.Parameter, "refl_no_atm_comp_data_param"),
        (31, 48, 0, 0, OpusBlockClass.Parameter, "refl_data_param"),
        (31, 88, 0, Any, OpusBlockClass.Parameter, "match_data_param"),
        (31, 216, 0, Any, OpusBlockClass.Parameter, "match_2_chn_data_param"),
        (32, 0, 0, Any, OpusBlockClass.Parameter, "instrument"),
        (40, 0, 0, Any, OpusBlockClass.Parameter, "instrument_ref"),
        (48, 0, 0, Any, OpusBlockClass.Parameter, "acquisition"),
        (56, 0, 0, Any, OpusBlockClass.Parameter, "acquisition_ref"),
        (64, 0, 0, Any, OpusBlockClass.Parameter, "fourier_transformation"),
        (72, 0, 0, Any, OpusBlockClass.Parameter, "fourier_transformation_ref"),
        (96, 0, 0, Any, OpusBlockClass.Parameter, "optics"),
        (104, 0, 0, Any, OpusBlockClass.Parameter, "optics_ref"),
        (160, 0, 0, Any, OpusBlockClass.Parameter, "sample"),
        (176, 0, 0, 64, OpusBlockClass.Parameter, "lab_and_process_param_raw"),
        (176, 0, 0, 0, OpusBlockClass.Parameter, "lab_and_process_param_processed"),
    ];

    // Each data block's parameter block name, made once rather than for every data block read.
    private static readonly Dictionary<string, string> DataParameterNames = Map
        .Where(entry => entry.Class == OpusBlockClass.Data)
        .Select(entry => entry.Name)
        .Distinct()
        .ToDictionary(name => name, name => name + "_data_param", StringComparer.Ordinal);

    // The map by the four type bytes (Any as both 0 and 64), the first entry of the map winning, so a block is named by one look-up.
    private static readonly Dictionary<uint, (OpusBlockClass Class, string Name)> ByCode = IndexByCode();

    private static Dictionary<uint, (OpusBlockClass, string)> IndexByCode()
    {
        var index = new Dictionary<uint, (OpusBlockClass, string)>();
        foreach (var entry in Map)
        {
            foreach (var additional in entry.Additional == Any ? [0, 64] : new[] { entry.Additional })
                index.TryAdd(Key(entry.Block, entry.Channel, entry.Text, (byte)additional), (entry.Class, entry.Name));
        }
        return index;
    }

    private static uint Key(byte block, byte channel, byte text, byte additional) =>
        (uint)block | (uint)channel << 8 | (uint)text << 16 | (uint)additional << 24;

    /// <summary>The class and name of a block, or <see cref="OpusBlockClass.Unknown"/> when opusreader2 does not know it either.</summary>
    public static (OpusBlockClass Class, string Name) Classify(byte block, byte channel, byte text, byte additional) =>
        ByCode.TryGetValue(Key(block, channel, text, additional), out var known) ? known : (OpusBlockClass.Unknown, "unknown");

    /// <summary>Name of the parameter block that describes the data block <paramref name="dataBlock"/> (<c>ab</c> → <c>ab_data_param</c>).</summary>
    public static string DataParameters(string dataBlock) =>
        DataParameterNames.TryGetValue(dataBlock, out var name) ? name : dataBlock + "_data_param";

    /// <summary>True for blocks measured on the reference (background) channel: sc_ref, ig_ref, ph_ref.</summary>
    public static bool IsReferenceChannel(byte block) => block == 11;
}
