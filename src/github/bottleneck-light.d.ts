// Octokit's plugins load Bottleneck's light build; we import the same file so the bundle holds one copy.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
