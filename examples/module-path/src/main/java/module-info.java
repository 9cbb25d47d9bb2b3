/** An application that uses flagroute on the module path, reading only what flagroute exports. */
module dev.flagroute.example.modulepath {
  requires dev.flagroute.core;
  requires dev.flagroute.mesh;
  requires dev.flagroute.servlet;
  requires dev.flagroute.grpc;

  exports dev.flagroute.example.modulepath;
}
