using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;

// Usage: WelkinTokenRefresher.FunctionsRpcDescriptors <descriptor set out> <protoc argument file out>
// The argument file names the protocol's own .proto files, for protoc @file; the well-known types they import
// (google/protobuf/*) are in the set but not generated, as Google.Protobuf already holds them.
if (args.Length != 2)
{
    await Console.Error.WriteLineAsync("Usage: WelkinTokenRefresher.FunctionsRpcDescriptors <FileDescriptorSet path> <protoc argument file path>");
    return 2;
}

// The generated reflection class is internal to the worker's gRPC assembly; its public Descriptor property is all we read.
const string ReflectionType = "Microsoft.Azure.Functions.Worker.Grpc.Messages.FunctionRpcReflection";
var descriptor = Assembly.Load("Microsoft.Azure.Functions.Worker.Grpc")
    .GetType(ReflectionType, throwOnError: true)!
    .GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?
    .GetValue(null) as FileDescriptor
    ?? throw new InvalidOperationException($"{ReflectionType}.Descriptor is missing: the worker's gRPC package changed shape.");

var set = new FileDescriptorSet();
var written = new HashSet<string>(StringComparer.Ordinal);
Add(descriptor);
await File.WriteAllBytesAsync(args[0], set.ToByteArray());
await File.WriteAllLinesAsync(args[1], written.Where(name => !name.StartsWith("google/protobuf/", StringComparison.Ordinal)));
return 0;

// protoc wants each file after its imports.
void Add(FileDescriptor file)
{
    if (!written.Add(file.Name))
    {
        return;
    }

    foreach (var dependency in file.Dependencies)
    {
        Add(dependency);
    }

    set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
}
