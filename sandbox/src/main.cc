#include "cli.h"

int main(int argc, char** argv) { return prospect_sandbox::run(argc, argv); }
