// Shared main() for every CppUnit suite: runs all registered tests (or the one suite or test named
// as the argument, e.g. `Suite` or `Suite::test`, when chasing one), prints one line per failure,
// and exits non-zero when any failed.
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <iostream>

int main(int argc, char** argv) {
  CppUnit::TestResult controller;
  CppUnit::TestResultCollector result;
  controller.addListener(&result);
  CppUnit::BriefTestProgressListener progress;
  controller.addListener(&progress);
  CppUnit::TestRunner runner;
  runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
  runner.run(controller, argc > 1 ? argv[1] : "");
  CppUnit::CompilerOutputter outputter(&result, std::cerr);
  outputter.write();
  std::cout << result.runTests() - result.testFailuresTotal() << " passed, " << result.testFailuresTotal()
            << " failed" << std::endl;
  return result.wasSuccessful() ? 0 : 1;
}
