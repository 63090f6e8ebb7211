// cxx: C++ user programs on the port: static constructors run before main,
// new/delete reach malloc, virtual calls work, static destructors run at exit.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int constructed;

struct Counter {
    Counter() { constructed = 42; }
    // Runs after main returns, through __cxa_atexit; the exit code says so.
    ~Counter() { _exit(constructed == 43 ? 0 : 1); }
};
static Counter counter;

struct Shape {
    virtual ~Shape() = default;
    virtual int sides() const = 0;
};
struct Triangle final : Shape {
    int sides() const override { return 3; }
};

int main() {
    int failures = 0;
    if (constructed != 42) {
        printf("FAIL: static constructor did not run\n");
        ++failures;
    }
    Shape* shape = new Triangle;
    if (shape->sides() != 3) {
        printf("FAIL: virtual call\n");
        ++failures;
    }
    delete shape;
    int* numbers = new int[1000];
    memset(numbers, 0, 1000 * sizeof(int));
    delete[] numbers;
    printf("libc_cxx: %d failed\n", failures);
    fflush(stdout);
    if (failures == 0)
        constructed = 43; // lets the destructor exit 0
    return 1;             // replaced by the destructor's status
}
