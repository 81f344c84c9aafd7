export { freePort } from '@ocfkit/testkit';
