// The ASP.NET Core framework reference (for the health endpoint) brings a source generator that makes a top-level
// Program public; declaring its access keeps it internal, so projects that load the agent can have a Program of their own.
internal partial class Program;
