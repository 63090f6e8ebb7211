/* test_ops.h: the operators of test (test.c parses, test_ops.c evaluates).
 * test_unary and test_binary return 1 true, 0 false, -1 after reporting
 * an error (an operand that is not a number). name is test or [. */
#ifndef KITE_SH_TEST_OPS_H
#define KITE_SH_TEST_OPS_H

int test_unary_known(const char* op);  /* -z -n -e -f -d ... */
int test_binary_known(const char* op); /* = != < > -eq ... -nt -ot -ef */
int test_unary(const char* name, const char* op, const char* operand);
int test_binary(const char* name, const char* left, const char* op, const char* right);

#endif
