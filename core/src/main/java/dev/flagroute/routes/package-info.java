/**
 * Flag routes: which flag steers which mesh service, its variants and their version labels, built
 * in code ({@link dev.flagroute.routes.FlagRoute#builder(String)}) or loaded from a YAML or JSON file
 * ({@link dev.flagroute.routes.FlagRoutesFile}) or from a document another parser read
 * ({@link dev.flagroute.routes.RoutesDocument}), and validated with one message per problem.
 */
package dev.flagroute.routes;
