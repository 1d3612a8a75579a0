#include "prospect_import/cli.h"

int main(int argc, char** argv) { return prospect_import::run(argc, argv); }
