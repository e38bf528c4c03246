// protoc-gen-framedrpc: the protoc plugin that writes FramedRPC service stubs.
//
// protoc runs it with a CodeGeneratorRequest on stdin and reads the response from stdout:
//   protoc --plugin=protoc-gen-framedrpc=<path> --framedrpc_out=<dir> --framedrpc_opt=Visibility=Public x.proto
// All the logic lives in FramedRPCCodegen so it can be tested in-process.
import FramedRPCCodegen

FramedRPCGenerator.main()
