/** An application that uses flagroute on the module path, reading only what flagroute exports. */
module dev.flagroute.example.modulepath {
  requires dev.flagroute.core;
  requires dev.flagroute.mesh;
  requires dev.flagroute.servlet;
  requires dev.flagroute.grpc;
  requires dev.flagroute.okhttp;
  requires dev.flagroute.jdkhttp;
  requires dev.flagroute.micrometer;

  exports dev.flagroute.example.modulepath;
}
